# Nothing is registered: personal data is never browsed in the Django admin (DESIGN §4).
