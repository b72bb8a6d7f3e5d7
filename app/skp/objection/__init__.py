"""Keberatan: filed by the appraisee, decided by the appraiser's superior."""
