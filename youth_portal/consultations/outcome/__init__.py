"""What the city did: the outcome staff write and publish, its commitments, and the emails telling respondents."""
