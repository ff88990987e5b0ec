"""A person's own consultations: what they answered and what the city did since."""
