"""Adapters: each one translates a platform into core requests and renders the core's replies."""
