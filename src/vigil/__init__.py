"""Vigil: a public-safety information platform that works under the rule of law."""
