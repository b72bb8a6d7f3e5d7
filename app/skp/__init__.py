"""The SKP's content: plan, realisasi and evidence, ratings, the document."""
