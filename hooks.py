def post_init_hook(env):
    """The shipped segment policies get their ladders, and companies that existed before the install the default
    policies too."""
    env["res.company"].search([])._dunning_copy_default_ladder()
