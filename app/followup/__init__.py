"""Tindak lanjut (issue 16): what a predikat leads to — development, talent, consequences."""
