"""DingTalk in Stream mode, on the official dingtalk-stream SDK."""
