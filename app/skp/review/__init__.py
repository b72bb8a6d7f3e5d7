"""The supervisor review: umpan balik, ratings, the predikat."""
