module github.com/wxads/wxads

go 1.26.8
