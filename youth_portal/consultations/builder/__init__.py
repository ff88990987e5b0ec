"""Staff build a consultation's questions: add, change, reorder and delete them while nobody has answered."""
