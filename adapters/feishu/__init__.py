"""Feishu (Lark abroad): events over HTTP callbacks or the long connection, message cards, delivery."""
