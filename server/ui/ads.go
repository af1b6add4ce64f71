package ui

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/wxads/wxads"
)

type adTotal struct {
	AdID, CampaignID int64
	Orders, Leads    int64 // COMPLETE_ORDER (下单量), RESERVATION (销售线索量)
	Conversions      int64
	Value            int64 // fen
}

type adsData struct {
	Form      reportForm
	Chart     template.HTML
	Ads       []adTotal
	Campaigns []adTotal
	Total     adTotal
}

// adsPage shows attributed conversions per ad and campaign, as
// /ext/v1/ad_reports/get counts them: a chart by campaign, tables below.
func (u *UI) adsPage(w http.ResponseWriter, r *http.Request, c *ctx) error {
	if c.account == 0 {
		return u.pickAccount(w, r, c, "ads", "nav_ads")
	}
	f, start, end := u.parseReportForm(r)
	rows, err := u.cfg.Stores.AdReport(r.Context(), wxads.AdReportQuery{AccountID: c.account, Start: start.Unix(), End: end.Unix(),
		Granularity: f.Granularity})
	if err != nil {
		return err
	}
	labels, index := periods(start, end, f.Granularity == wxads.Hourly)
	byAd, byCampaign := map[int64]*adTotal{}, map[int64]*adTotal{}
	bySeries := map[int64]int{}
	var ss []series
	d := adsData{Form: f}
	for _, row := range rows {
		for _, t := range []*adTotal{total(byAd, row.AdID, row.CampaignID), total(byCampaign, 0, row.CampaignID), &d.Total} {
			t.Conversions += row.Conversions
			t.Value += row.Value
			switch row.ActionType {
			case wxads.ActionCompleteOrder:
				t.Orders += row.Conversions
			case wxads.ActionReservation:
				t.Leads += row.Conversions
			}
		}
		si, ok := bySeries[row.CampaignID]
		if !ok {
			si = len(ss)
			bySeries[row.CampaignID] = si
			ss = append(ss, series{Key: "campaign-" + itoa(row.CampaignID),
				Name: c.lang.T("campaign_id") + " " + strconv.FormatInt(row.CampaignID, 10), Values: make([]int64, len(labels))})
		}
		if i, ok := index[row.Period]; ok {
			ss[si].Values[i] += row.Conversions
		}
	}
	d.Ads, d.Campaigns = sortedTotals(byAd), sortedTotals(byCampaign)
	d.Chart = lineChart(c.lang.T("conversions"), labels, ss)
	return u.render(w, r, c, http.StatusOK, "ads", "ads_title", d)
}

func total(m map[int64]*adTotal, ad, campaign int64) *adTotal {
	key := ad
	if ad == 0 {
		key = campaign
	}
	t := m[key]
	if t == nil {
		t = &adTotal{AdID: ad, CampaignID: campaign}
		m[key] = t
	}
	return t
}

func sortedTotals(m map[int64]*adTotal) []adTotal {
	out := make([]adTotal, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b adTotal) int {
		return cmp.Or(cmp.Compare(b.Conversions, a.Conversions), cmp.Compare(a.CampaignID, b.CampaignID), cmp.Compare(a.AdID, b.AdID))
	})
	return out
}
