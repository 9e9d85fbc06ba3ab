package main

import (
	"fmt"
	"net/url"

	"github.com/goccy/go-yaml"
)

type configCmd struct {
	Check configCheckCmd `cmd:"" help:"Validate the configuration and print it, secrets masked."`
}

type configCheckCmd struct{}

// configCheck prints the effective configuration, defaults filled in and
// environment overrides applied, with the token masked and the API key
// reported only as set or not. Problems never reach here: LoadConfig has
// already printed them, one line each, and exited 2.
func (a *App) configCheck(cfg Config, c *cli) error {
	eff := cfg
	if a.getenv(tokenEnv) != "" {
		eff.Discord.Token = a.getenv(tokenEnv)
	}
	eff.Discord.Token = mask(eff.Discord.Token)
	if eff.Insights.Database != "" {
		if u, err := url.Parse(eff.Insights.Database); err == nil {
			eff.Insights.Database = u.Redacted()
		}
	}
	out, err := yaml.MarshalWithOptions(eff, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return fmt.Errorf("print config: %w", err)
	}
	src := c.Config
	if src == "" {
		src = "built-in defaults"
		if fileExists(DefaultConfigPath) {
			src = DefaultConfigPath
		}
	}
	fmt.Fprintf(a.stdout, "# effective configuration (from %s); secrets masked\n%s", src, out)
	key := "not set"
	if cfg.LLM.APIKeyEnv != "" && a.getenv(cfg.LLM.APIKeyEnv) != "" {
		key = "set"
	}
	fmt.Fprintf(a.stdout, "# %s: %s\n# %s: %s\n", cfg.LLM.APIKeyEnv, key, tokenEnv, setOrNot(a.getenv(tokenEnv)))
	fmt.Fprintln(a.stdout, "# configuration OK")
	return nil
}

// mask hides a secret but says whether there is one.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return "********"
}

func setOrNot(s string) string {
	if s == "" {
		return "not set"
	}
	return "set"
}
