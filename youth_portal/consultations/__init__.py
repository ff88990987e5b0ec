"""Consultations: city staff ask, young people answer, everyone sees results and what the city did."""
