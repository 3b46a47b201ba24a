def post_init_hook(env):
    """Companies that existed before the install get the default ladder too."""
    env["res.company"].search([])._dunning_copy_default_ladder()
