package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"

	"github.com/wxads/wxads"
	"github.com/wxads/wxads/adtemplate"
)

// MaxCatalogBytes bounds the body of PUT /admin/v1/adcreative_templates.
const MaxCatalogBytes = 16 << 20

// catalogCache holds the parsed catalog of the store's current version; a
// PUT on any node bumps the version and every node reloads on next use.
type catalogCache struct {
	mu      sync.Mutex
	version int64
	catalog *adtemplate.Catalog
}

// currentCatalog returns the catalog in force: the stored one, else the
// embedded default.
func (s *Server) currentCatalog(ctx context.Context) (*adtemplate.Catalog, error) {
	version, err := s.cfg.Stores.CatalogVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.catalog
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.catalog != nil && c.version == version {
		return c.catalog, nil
	}
	if version == 0 {
		c.version, c.catalog = 0, adtemplate.Default()
		return c.catalog, nil
	}
	version, body, err := s.cfg.Stores.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	cat, err := adtemplate.ParseCatalog(body)
	if err != nil {
		// Only validated catalogs are stored; failing here is a bug.
		return nil, err
	}
	c.version, c.catalog = version, cat
	return cat, nil
}

// putCatalog is PUT /admin/v1/adcreative_templates: the whole list is
// validated; a malformed catalog is refused whole and the old one stays.
func (s *Server) putCatalog(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBodyLimit(w, r, MaxCatalogBytes)
	if err != nil {
		return err
	}
	cat, err := adtemplate.ParseCatalog(body)
	var ce *adtemplate.CatalogError
	if errors.As(err, &ce) {
		return ce.Platform()
	} else if err != nil {
		return wxads.Errorf(wxads.CodeBadJSON, "")
	}
	version, err := s.cfg.Stores.SetCatalog(r.Context(), cat.JSON())
	if err != nil {
		return err
	}
	return writeData(w, apiWeChat, map[string]any{"templates": cat.Len(), "version": version})
}

// getTemplates is GET /v1.1/adcreative_templates/get (SPEC §8).
func (s *Server) getTemplates(w http.ResponseWriter, r *http.Request) error {
	q, err := adtemplate.ParseQuery(r.URL.Query())
	if err != nil {
		return err
	}
	cat, err := s.currentCatalog(r.Context())
	if err != nil {
		return err
	}
	list, info := cat.List(q)
	if list == nil {
		list = []json.RawMessage{}
	}
	return writeData(w, apiTencent, map[string]any{"list": list, "page_info": info})
}

// postValidateCreative is POST /ext/v1/adcreative_templates/validate.
func (s *Server) postValidateCreative(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		TemplateID *flexID         `json:"adcreative_template_id"`
		Elements   json.RawMessage `json:"adcreative_elements"`
	}
	if err := s.readObject(w, r, &req); err != nil {
		return err
	}
	switch {
	case req.TemplateID == nil:
		return wxads.Errorf(wxads.CodeRequired, "adcreative_template_id")
	case len(req.Elements) == 0 || string(req.Elements) == "null":
		return wxads.Errorf(wxads.CodeRequired, "adcreative_elements")
	}
	cat, err := s.currentCatalog(r.Context())
	if err != nil {
		return err
	}
	t, ok := cat.Get(int64(*req.TemplateID))
	if !ok {
		return wxads.Errorf(wxads.CodeNotAccessible, "adcreative_template_id")
	}
	return writeData(w, apiWeChat, map[string]any{"violations": adtemplate.ValidateCreative(t, req.Elements)})
}
