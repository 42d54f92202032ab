"""Producers of the PDF producer corpus (samples/producers/), used by scripts/make_producer_pdfs.py."""
