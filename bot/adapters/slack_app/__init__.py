"""The Slack adapter: slash commands, buttons and the App Home through slack-bolt, rendered in Block Kit."""
