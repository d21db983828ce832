"""Privacy: pseudonymisation, the national-identity-number guard, what messages may show."""
