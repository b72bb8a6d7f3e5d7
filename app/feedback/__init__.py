"""Public service feedback: the SKM (survei kepuasan masyarakat) per PermenPANRB 14/2017."""
