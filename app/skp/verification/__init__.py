"""BKD verification: checklist, the OPD's distribution, finalisation."""
