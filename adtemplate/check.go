package adtemplate

import (
	"fmt"

	"github.com/wxads/wxads"
)

// checkTemplate checks what the JSON shape cannot: ids, enums, element
// structure, restriction bounds, and that every pattern compiles.
func checkTemplate(t *Template) *fieldError {
	if t.ID <= 0 {
		return defect("adcreative_template_id", wxads.CodeTooSmall, "must be a positive integer")
	}
	if !in(SiteSets, t.SiteSet) {
		return defect("site_set", wxads.CodeNotInEnum, "%q is not a site_set of seed 002", t.SiteSet)
	}
	if !in(PromotedObjectTypes, t.PromotedObjectType) {
		return defect("promoted_object_type", wxads.CodeNotInEnum, "%q is not a promoted_object_type of seed 002", t.PromotedObjectType)
	}
	lists := []struct {
		path  string
		elems []Element
	}{{"ad_attributes", t.AdAttributes}, {"adcreative_attributes", t.CreativeAttributes}, {"adcreative_elements", t.Elements}}
	for _, l := range lists {
		if err := checkElements(l.elems, l.path); err != nil {
			return err
		}
	}
	if d := t.DynamicAbility; d != nil {
		for i, v := range d.DynamicAbilityType {
			if !in(DynamicAbilityTypes, v) {
				return defect(fmt.Sprintf("support_dynamic_ability_spec_list.dynamic_ability_type[%d]", i), wxads.CodeNotInEnum, "%q is not a dynamic_ability_type of seed 002", v)
			}
		}
	}
	for i, b := range t.BillingSpecs {
		if b.MinPrice < 0 || b.MaxPrice < b.MinPrice {
			return defect(fmt.Sprintf("support_billing_spec_list[%d]", i), wxads.CodeBadFormat, "needs 0 <= min_price <= max_price")
		}
	}
	return nil
}

// checkElements checks one element list: names, types, the struct tree that
// parent_name builds, and each element's properties.
func checkElements(elems []Element, path string) *fieldError {
	structs := map[string]*Element{}
	seen := map[[2]string]bool{}
	for i := range elems {
		e, p := &elems[i], fmt.Sprintf("%s[%d]", path, i)
		if e.Name == "" {
			return defect(p+".name", wxads.CodeRequired, "required")
		}
		if !in(elementTypes, e.ElementType) {
			return defect(p+".element_type", wxads.CodeNotInEnum, "%q is not an element type", e.ElementType)
		}
		if !in(fieldTypes, e.FieldType) {
			return defect(p+".field_type", wxads.CodeNotInEnum, "%q is not a field type", e.FieldType)
		}
		key := [2]string{e.ParentName, e.Name}
		if seen[key] {
			return defect(p+".name", wxads.CodeBadFormat, "duplicate element %q under parent %q", e.Name, e.ParentName)
		}
		seen[key] = true
		if isStruct(e) {
			if structs[e.Name] != nil {
				return defect(p+".name", wxads.CodeBadFormat, "two struct elements named %q make parent_name ambiguous", e.Name)
			}
			structs[e.Name] = e
		}
	}
	for i := range elems {
		e, p := &elems[i], fmt.Sprintf("%s[%d]", path, i)
		if e.ParentName != "" {
			if structs[e.ParentName] == nil {
				return defect(p+".parent_name", wxads.CodeBadFormat, "%q is not a struct element of this list", e.ParentName)
			}
			if cyclic(e, structs, len(elems)) {
				return defect(p+".parent_name", wxads.CodeBadFormat, "parent chain of %q loops", e.Name)
			}
		}
		if err := checkElement(e, p); err != nil {
			return err
		}
	}
	return nil
}

func isStruct(e *Element) bool {
	return e.FieldType == fieldStruct || e.FieldType == fieldStructArray
}

// cyclic reports whether walking up from e's parent comes back to e's level
// more often than the list has elements.
func cyclic(e *Element, structs map[string]*Element, n int) bool {
	for steps := 0; e.ParentName != ""; steps++ {
		if steps > n {
			return true
		}
		parent := structs[e.ParentName]
		if parent == nil {
			return false // a missing parent is reported when that element is checked
		}
		e = parent
	}
	return false
}

func checkElement(e *Element, p string) *fieldError {
	if err := checkRestrictionKinds(e, p+".restriction"); err != nil {
		return err
	}
	if a := e.ArrayProperty; a.MinNumber < 0 || a.MaxNumber < 0 || (a.MaxNumber > 0 && a.MinNumber > a.MaxNumber) {
		return defect(p+".array_property", wxads.CodeBadFormat, "needs 0 <= min_number <= max_number")
	}
	if err := checkEnum(e, p+".enum_property"); err != nil {
		return err
	}
	return checkRestriction(&e.Restriction, p+".restriction")
}

func checkEnum(e *Element, p string) *fieldError {
	values := map[string]bool{}
	for i, v := range e.EnumProperty.Enumeration {
		if values[v.Value] {
			return defect(fmt.Sprintf("%s.enumeration[%d].value", p, i), wxads.CodeBadFormat, "duplicate value %q", v.Value)
		}
		values[v.Value] = true
	}
	if e.ElementType == elemEnum && len(values) == 0 {
		return defect(p+".enumeration", wxads.CodeRequired, "an ELEMENT_TYPE_ENUM element needs its values")
	}
	if d := e.EnumProperty.Default; d != "" && !values[d] {
		return defect(p+".default", wxads.CodeNotInEnum, "%q is not one of the enumeration values", d)
	}
	return nil
}
