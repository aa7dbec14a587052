"""Twilio's webhooks at a flow's Webhook URL: signature checks, the views, and TwiML."""
