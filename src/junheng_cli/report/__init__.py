"""Render evaluation results: terminal (rich), JSON. Never computes a number."""
