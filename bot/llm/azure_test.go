package llm

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	openai "github.com/sashabaranov/go-openai"
)

// TestAzureEndpoint checks that an Azure OpenAI resource is spoken to as
// Azure wants: the key in an api-key header, the deployment in the path,
// an api-version in the query. The request goes to a loopback server
// standing in for the resource.
func TestAzureEndpoint(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}`)
	}))
	defer srv.Close()

	u, _ := url.Parse("https://my-resource.openai.azure.com/")
	oc := clientConfig("azure-key", u)
	if oc.APIType != openai.APITypeAzure || oc.APIVersion != azureAPIVersion {
		t.Fatalf("config for %s: type %s, version %q", u, oc.APIType, oc.APIVersion)
	}
	oc.BaseURL = srv.URL // the stand-in for the resource
	client := openai.NewClientWithConfig(oc)
	_, err := client.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model:    "my-gpt-4o-deployment",
		Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.URL.Path != "/openai/deployments/my-gpt-4o-deployment/chat/completions" {
		t.Errorf("path %s", got.URL.Path)
	}
	if got.URL.Query().Get("api-version") != azureAPIVersion {
		t.Errorf("query %s", got.URL.RawQuery)
	}
	if got.Header.Get("api-key") != "azure-key" || got.Header.Get("Authorization") != "" {
		t.Errorf("headers: api-key %q, Authorization %q", got.Header.Get("api-key"), got.Header.Get("Authorization"))
	}
}

func TestClientConfigOpenAI(t *testing.T) {
	for _, raw := range []string{"https://api.openai.com/v1", "http://localhost:11434/v1", "http://127.0.0.1:8000/v1"} {
		u, _ := url.Parse(raw)
		oc := clientConfig("k", u)
		if oc.APIType != openai.APITypeOpenAI || oc.BaseURL != raw {
			t.Errorf("%s: type %s, base %s", raw, oc.APIType, oc.BaseURL)
		}
	}
}
