package discordtest

// SendModalSubmit dispatches the submission (interaction type 5) of the
// modal with customID, its text inputs given as custom id to value, each
// in an action row of its own, as Discord lays them out.
func (s *Server) SendModalSubmit(inv Invoker, customID string, inputs map[string]string) Sent {
	rows := make([]any, 0, len(inputs))
	for id, v := range inputs {
		rows = append(rows, map[string]any{
			"type":       1,
			"components": []any{map[string]any{"type": 4, "custom_id": id, "value": v}},
		})
	}
	in, sent := s.interaction(inv, 5, map[string]any{"custom_id": customID, "components": rows})
	sent.Seq = s.Dispatch("INTERACTION_CREATE", in)
	return sent
}
