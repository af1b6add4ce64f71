package server

import "context"

// CheckToken runs the access-token check of the WeChat-side routes alone,
// for BenchmarkTokenCheck.
func (s *Server) CheckToken(ctx context.Context, token string) error {
	_, err := s.authenticate(ctx, apiWeChat, token)
	return err
}
