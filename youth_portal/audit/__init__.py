"""The append-only audit log: who did what, when, in which city."""
