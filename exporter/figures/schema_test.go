package figures

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSchemaMatchesDecoder keeps figures.schema.json (used by editors) in
// step with the decoder: the same objects, the same fields, the same
// required fields, the same units and qualifiers.
func TestSchemaMatchesDecoder(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "figures.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	var schema struct {
		object
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("figures.schema.json is not valid JSON: %v", err)
	}
	def := func(name string) object {
		var o object
		if err := json.Unmarshal(schema.Definitions[name], &o); err != nil {
			t.Fatalf("definition %s: %v", name, err)
		}
		return o
	}
	figure := def("figure")
	sub := func(o object, field string) object {
		var s object
		if err := json.Unmarshal(o.Properties[field], &s); err != nil {
			t.Fatalf("%s: %v", field, err)
		}
		return s
	}
	objects := map[string]object{
		"file": schema.object, "family": def("family"), "source": def("source"), "figure": figure,
		"period": sub(figure, "period"), "derived": sub(figure, "derived"), "share_of": sub(figure, "share_of"),
		"exclusion": def("exclusion"), "claim": sub(figure, "claim"),
	}
	// The decoder's table of each object's fields.
	tables := map[string]interface{ Names() ([]string, []string) }{
		"file": fileFields, "family": familyFields, "source": sourceFields, "exclusion": exclusionFields,
		"figure": figureFields, "period": periodFields, "derived": derivationFields, "share_of": shareOfFields,
		"claim": claimFields,
	}
	for name, table := range tables {
		all, required := table.Names()
		o, ok := objects[name]
		if !ok {
			t.Errorf("schema has no object for %s", name)
			continue
		}
		var got []string
		for k := range o.Properties {
			got = append(got, k)
		}
		if g, w := sorted(got), sorted(all); g != w {
			t.Errorf("%s: schema fields %s, decoder fields %s", name, g, w)
		}
		if g, w := sorted(o.Required), sorted(required); g != w {
			t.Errorf("%s: schema requires %s, decoder requires %s", name, g, w)
		}
	}
	for _, q := range Qualifiers {
		if !strings.Contains(string(figure.Properties["qualifier"]), `"`+string(q)+`"`) {
			t.Errorf("schema lacks qualifier %s", q)
		}
	}
	units := string(def("family").Properties["unit"])
	for _, u := range []string{`"count"`, `"ratio"`, `"change_ratio"`, `"^[a-z]{3}$"`} {
		if !strings.Contains(units, u) {
			t.Errorf("schema lacks unit %s", u)
		}
	}
}

func sorted(s []string) string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return strings.Join(c, ",")
}
