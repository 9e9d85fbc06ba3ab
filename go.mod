module github.com/declbot/declbot

go 1.26

require (
	github.com/goccy/go-yaml v1.19.2
	github.com/hashicorp/golang-lru/v2 v2.0.7
	github.com/sashabaranov/go-openai v1.43.0
)
