package wxads

// PageInfo is the page_info of every paged list response.
type PageInfo struct {
	Page        int `json:"page"`
	PageSize    int `json:"page_size"`
	TotalNumber int `json:"total_number"`
	TotalPage   int `json:"total_page"`
}

// NewPageInfo computes page_info for total items: total_page is
// ceil(total/pageSize), 0 when there are none.
func NewPageInfo(page, pageSize, total int) PageInfo {
	info := PageInfo{Page: page, PageSize: pageSize, TotalNumber: total}
	if pageSize > 0 {
		info.TotalPage = (total + pageSize - 1) / pageSize
	}
	return info
}
