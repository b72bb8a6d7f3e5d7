"""Organisation performance (SE MenPANRB 3/2023): the capaian kinerja organisasi of the OPD
and each unit per period, the published table that turns it into the organisation
predikat, the default hasil kerja rating of a unit's head, and the pola distribusi
shown while rating and re-checked after a keberatan.
"""
