package server_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxads/wxads"
)

// Every code the server can emit is named in wxads.EmittedCodes (which
// errcode's TestEmittedCodesKnown checks against the registry): code that
// builds a platform error must use a wxads.Code* constant, never a literal,
// and every constant must be listed.
func TestServerEmitsOnlyRegistryCodes(t *testing.T) {
	emitted := map[string]bool{}
	root := parseDir(t, "..")
	for _, f := range root {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if strings.HasPrefix(n.Name, "Code") {
						emitted[n.Name] = true
					}
				}
			}
		}
	}
	if len(emitted) != len(wxads.EmittedCodes) {
		t.Errorf("code.go declares %d Code constants but EmittedCodes lists %d", len(emitted), len(wxads.EmittedCodes))
	}
	for _, dir := range []string{".", "../ingest", "../adtemplate", "../sqlite"} {
		for name, f := range parseDir(t, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Errorf" && sel.Sel.Name != "Literal") {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "wxads" {
					return true
				}
				arg, ok := call.Args[0].(*ast.SelectorExpr)
				if !ok || !emitted[arg.Sel.Name] {
					// A variable is fine when it only ever holds constants (checked by
					// the packages' own tests); a literal never is.
					if _, lit := call.Args[0].(*ast.BasicLit); lit {
						t.Errorf("%s: wxads.%s with a literal code; use a wxads.Code* constant", name, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}

func parseDir(t *testing.T, dir string) map[string]*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = f
	}
	return files
}
