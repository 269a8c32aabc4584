"""The policy pages: ``staff`` for the library, matching and outreach; ``public`` for residents
(the policy list, a policy's page, the self-check)."""
