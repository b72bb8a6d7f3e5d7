"""The self-assessment: realisasi per IKI and bukti dukung."""
