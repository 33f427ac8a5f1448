"""The Slack adapter: slack-bolt in, Block Kit out, slack_sdk for delivery. Translation only."""
