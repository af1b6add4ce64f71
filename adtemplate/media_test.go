package adtemplate

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestValidateMedia(t *testing.T) {
	tpl := ruleTemplate(t)
	tests := []struct {
		name, media string // members added to a valid creative
		want        []string
	}{
		{"image id only", `"image":"img-1"`, nil},
		{"image all facts right", `"image":{"id":"i","width":72,"height":72,"file_size_bytes":30720,"format":"IMAGE_TYPE_JPG"}`, nil},
		{"image format aliases", `"image":{"format":"image/jpeg"}`, nil},
		{"image width", `"image":{"width":73,"height":72}`, []string{"image image_width"}},
		{"image height", `"image":{"width":72,"height":71}`, []string{"image image_height"}},
		{"image file size one byte over 30 KB", `"image":{"file_size_bytes":30721}`, []string{"image image_file_size"}},
		{"image format", `"image":{"format":"gif"}`, []string{"image image_format"}},
		{"image not id or object", `"image":5`, []string{"image type"}},
		{"image fact of wrong type", `"image":{"width":"72"}`, []string{"image.width type"}},
		{"image negative size", `"image":{"file_size_bytes":-1}`, []string{"image.file_size_bytes type"}},
		{"image unknown fact", `"image":{"colour":"red"}`, []string{"image.colour unknown"}},
		{"duration is not an image fact", `"image":{"duration":3}`, []string{"image.duration unknown"}},
		{"image array item", `"images":[{"width":100,"height":100},{"width":99,"height":100}]`, []string{"images[1] image_width"}},
		{"image array count", `"images":["m1"]`, []string{"images array_min"}},
		{"video id only", `"video":"v-1"`, nil},
		{"video all facts right", `"video":{"width":1920,"height":1080,"file_size_bytes":1048576,"format":"MEDIA_TYPE_MP4","duration":6}`, nil},
		{"video below minimum size", `"video":{"width":1024,"height":576}`, []string{"video video_width", "video video_height"}},
		{"video ratio", `"video":{"width":1280,"height":960}`, []string{"video video_ratio"}},
		{"video file size", `"video":{"file_size_bytes":1048577}`, []string{"video video_file_size"}},
		{"video format", `"video":{"format":"MEDIA_TYPE_MOV"}`, []string{"video video_format"}},
		{"video too short", `"video":{"duration":5.9}`, []string{"video video_duration"}},
		{"video too long", `"video":{"duration":30.5}`, []string{"video video_duration"}},
		{"video duration of wrong type", `"video":{"duration":"15s"}`, []string{"video.duration type"}},
		{"exact video size", `"fixed_video":{"width":640,"height":360}`, nil},
		{"exact video width", `"fixed_video":{"width":1280,"height":360}`, []string{"fixed_video video_width"}},
		{"struct child image without restriction", `"brand":{"brand_name":"b","brand_img":{"width":1}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(ValidateCreative(tpl, json.RawMessage(`{"title":"广告",`+tt.media+`}`)))
			if want := append([]string{}, tt.want...); !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestFormatName(t *testing.T) {
	for in, want := range map[string]string{
		"IMAGE_TYPE_JPG": "JPG", "jpeg": "JPG", ".png": "PNG", "image/jpeg": "JPG", "MEDIA_TYPE_MP4": "MP4",
		"video/quicktime": "MOV", "mov": "MOV",
	} {
		if got := formatName(in); got != want {
			t.Errorf("formatName(%q) = %q, want %q", in, got, want)
		}
	}
}
