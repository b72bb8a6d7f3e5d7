"""Ekspektasi khusus pimpinan: the appraiser's expectation per BerAKHLAK value."""
