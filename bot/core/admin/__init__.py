"""Admin commands: edit the briefing from chat or the CLI, with one authorization gate and revisions."""
