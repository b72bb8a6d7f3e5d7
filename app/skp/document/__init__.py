"""The Dokumen Evaluasi Kinerja, as HTML and PDF."""
