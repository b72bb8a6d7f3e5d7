"""Umpan balik berkelanjutan: a dated thread per IKI between the atasan and the pegawai."""
