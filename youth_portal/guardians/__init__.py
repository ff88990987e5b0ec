"""Guardian consent for young people below their country's digital age of consent."""
