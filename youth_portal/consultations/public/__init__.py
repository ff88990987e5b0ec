"""What young people see and do: the lists of consultations, one consultation's page, answering it."""
