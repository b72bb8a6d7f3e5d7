"""Dialog kinerja: notes between appraisee and appraiser."""
