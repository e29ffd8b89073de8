package drive

import (
	"time"

	"github.com/o365go/o365/graph"
)

// DriveType is the kind of a drive.
type DriveType string

// Drive types Graph reports.
const (
	DriveTypePersonal        DriveType = "personal"
	DriveTypeBusiness        DriveType = "business"
	DriveTypeDocumentLibrary DriveType = "documentLibrary"
)

// Drive is a OneDrive or a SharePoint document library (Graph's drive resource). A Drive
// read through a Storage is bound to it: its methods reach the drive's items.
type Drive struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	Description          string             `json:"description,omitempty"`
	DriveType            DriveType          `json:"driveType,omitempty"`
	WebURL               string             `json:"webUrl,omitempty"`
	Owner                *graph.IdentitySet `json:"owner,omitempty"`
	Quota                *Quota             `json:"quota,omitempty"`
	CreatedBy            *graph.IdentitySet `json:"createdBy,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	CreatedDateTime      time.Time          `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`

	c *graph.Client
}

// Quota is a drive's storage use, in bytes.
type Quota struct {
	Total     int64  `json:"total"`
	Used      int64  `json:"used"`
	Remaining int64  `json:"remaining"`
	Deleted   int64  `json:"deleted"`
	State     string `json:"state,omitempty"` // normal, nearing, critical, exceeded
}

// ItemReference points at an item (its parent, a copy's destination).
type ItemReference struct {
	DriveID   string    `json:"driveId,omitempty"`
	DriveType DriveType `json:"driveType,omitempty"`
	ID        string    `json:"id,omitempty"`
	Name      string    `json:"name,omitempty"`
	Path      string    `json:"path,omitempty"` // "/drive/root:/Documents"
	SiteID    string    `json:"siteId,omitempty"`
}

// Hashes are the content hashes the service reports for a file, base64 (quickXorHash) or
// hex (sha1Hash, sha256Hash, crc32Hash). OneDrive for Business and SharePoint report only
// quickXorHash.
type Hashes struct {
	QuickXorHash string `json:"quickXorHash,omitempty"`
	SHA1Hash     string `json:"sha1Hash,omitempty"`
	SHA256Hash   string `json:"sha256Hash,omitempty"`
	CRC32Hash    string `json:"crc32Hash,omitempty"`
}

// File is the file facet: set on items that are files.
type File struct {
	MimeType           string  `json:"mimeType,omitempty"`
	Hashes             *Hashes `json:"hashes,omitempty"`
	ProcessingMetadata bool    `json:"processingMetadata,omitempty"`
}

// Folder is the folder facet: set on items that are folders.
type Folder struct {
	ChildCount int         `json:"childCount,omitempty"`
	View       *FolderView `json:"view,omitempty"`
}

// FolderView is how a folder is shown in the OneDrive UI.
type FolderView struct {
	SortBy    string `json:"sortBy,omitempty"`
	SortOrder string `json:"sortOrder,omitempty"`
	ViewType  string `json:"viewType,omitempty"`
}

// Image is the image facet: the picture's dimensions in pixels.
type Image struct {
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// Photo is the photo facet: EXIF data of a picture taken by a camera.
type Photo struct {
	TakenDateTime       time.Time `json:"takenDateTime,omitzero"`
	CameraMake          string    `json:"cameraMake,omitempty"`
	CameraModel         string    `json:"cameraModel,omitempty"`
	ExposureDenominator float64   `json:"exposureDenominator,omitempty"`
	ExposureNumerator   float64   `json:"exposureNumerator,omitempty"`
	FNumber             float64   `json:"fNumber,omitempty"`
	FocalLength         float64   `json:"focalLength,omitempty"`
	ISO                 int       `json:"iso,omitempty"`
	Orientation         int       `json:"orientation,omitempty"`
}

// Video is the video facet.
type Video struct {
	Duration int64 `json:"duration,omitempty"` // milliseconds
	Width    int   `json:"width,omitempty"`
	Height   int   `json:"height,omitempty"`
	Bitrate  int   `json:"bitrate,omitempty"`
}

// FileSystemInfo holds the timestamps the client's file system had, as given on upload.
type FileSystemInfo struct {
	CreatedDateTime      time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	LastAccessedDateTime time.Time `json:"lastAccessedDateTime,omitzero"`
}

// SpecialFolder names a special folder ("documents", "photos", ...).
type SpecialFolder struct {
	Name string `json:"name"`
}

// Shared tells that an item is shared and how.
type Shared struct {
	Owner          *graph.IdentitySet `json:"owner,omitempty"`
	Scope          string             `json:"scope,omitempty"` // anonymous, organization, users
	SharedBy       *graph.IdentitySet `json:"sharedBy,omitempty"`
	SharedDateTime time.Time          `json:"sharedDateTime,omitzero"`
}

// Deleted is set on items a delta round reports as deleted.
type Deleted struct {
	State string `json:"state,omitempty"`
}

// Package marks a folder-like item the service treats as one file (a OneNote notebook).
type Package struct {
	Type string `json:"type,omitempty"`
}

// Root is set on a drive's root folder.
type Root struct{}

// RemoteItem is the item another drive holds, for shared-with-me and recent entries.
type RemoteItem struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	Size                 int64              `json:"size,omitempty"`
	WebURL               string             `json:"webUrl,omitempty"`
	File                 *File              `json:"file,omitempty"`
	Folder               *Folder            `json:"folder,omitempty"`
	ParentReference      *ItemReference     `json:"parentReference,omitempty"`
	Shared               *Shared            `json:"shared,omitempty"`
	FileSystemInfo       *FileSystemInfo    `json:"fileSystemInfo,omitempty"`
	CreatedBy            *graph.IdentitySet `json:"createdBy,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	CreatedDateTime      time.Time          `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`
}

// SearchResult is set on items a search returned.
type SearchResult struct {
	OnClickTelemetryURL string `json:"onClickTelemetryUrl,omitempty"`
}

// Item is a file or folder (Graph's driveItem). Facets tell what it is: File, Folder, Image,
// Photo, Video, Package, Root, RemoteItem. An Item read through a Drive is bound to it, so
// its methods (Children, Download, Upload, Move, Copy, ...) work on it.
//
// python-o365's File, Folder, Image and Photo classes are all this one type: test the facets
// (IsFile, IsFolder, IsImage, IsPhoto).
type Item struct {
	ID                   string             `json:"id,omitempty"`
	Name                 string             `json:"name,omitempty"`
	Description          string             `json:"description,omitempty"`
	ETag                 string             `json:"eTag,omitempty"`
	CTag                 string             `json:"cTag,omitempty"`
	Size                 int64              `json:"size,omitempty"`
	WebURL               string             `json:"webUrl,omitempty"`
	CreatedBy            *graph.IdentitySet `json:"createdBy,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	CreatedDateTime      time.Time          `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`
	ParentReference      *ItemReference     `json:"parentReference,omitempty"`
	FileSystemInfo       *FileSystemInfo    `json:"fileSystemInfo,omitempty"`
	File                 *File              `json:"file,omitempty"`
	Folder               *Folder            `json:"folder,omitempty"`
	Image                *Image             `json:"image,omitempty"`
	Photo                *Photo             `json:"photo,omitempty"`
	Video                *Video             `json:"video,omitempty"`
	Package              *Package           `json:"package,omitempty"`
	Root                 *Root              `json:"root,omitempty"`
	SpecialFolder        *SpecialFolder     `json:"specialFolder,omitempty"`
	RemoteItem           *RemoteItem        `json:"remoteItem,omitempty"`
	Shared               *Shared            `json:"shared,omitempty"`
	Deleted              *Deleted           `json:"deleted,omitempty"`
	SearchResult         *SearchResult      `json:"searchResult,omitempty"`
	// DownloadURL is a short-lived pre-authenticated URL of the content. It is a secret.
	DownloadURL string `json:"@microsoft.graph.downloadUrl,omitempty"`
	// ChildItems holds the children when the item was read with $expand=children.
	ChildItems []Item `json:"children,omitempty"`

	c       *graph.Client
	driveID string
	snap    *itemWritable
}

// IsFile reports whether the item is a file.
func (it *Item) IsFile() bool { return it.File != nil }

// IsFolder reports whether the item is a folder (or a package, such as a OneNote notebook).
func (it *Item) IsFolder() bool { return it.Folder != nil || it.Package != nil }

// IsImage reports whether the item is a picture with known dimensions.
func (it *Item) IsImage() bool { return it.Image != nil }

// IsPhoto reports whether the item is a photo with EXIF data.
func (it *Item) IsPhoto() bool { return it.Photo != nil }

// IsRoot reports whether the item is the root folder of its drive.
func (it *Item) IsRoot() bool { return it.Root != nil }

// MimeType returns the file's MIME type, or "".
func (it *Item) MimeType() string {
	if it.File == nil {
		return ""
	}
	return it.File.MimeType
}

// Hashes returns the file's hashes (zero for folders).
func (it *Item) Hashes() Hashes {
	if it.File == nil || it.File.Hashes == nil {
		return Hashes{}
	}
	return *it.File.Hashes
}

// ChildCount returns a folder's number of children (0 for files).
func (it *Item) ChildCount() int {
	if it.Folder == nil {
		return 0
	}
	return it.Folder.ChildCount
}

// Thumbnail is one picture of an item at one size.
type Thumbnail struct {
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
	URL    string `json:"url,omitempty"`
	// SourceItemID is set when the thumbnail comes from another item (a folder's cover).
	SourceItemID string `json:"sourceItemId,omitempty"`
}

// ThumbnailSet is an item's thumbnails at the standard sizes.
type ThumbnailSet struct {
	ID     string     `json:"id"`
	Small  *Thumbnail `json:"small,omitempty"`
	Medium *Thumbnail `json:"medium,omitempty"`
	Large  *Thumbnail `json:"large,omitempty"`
	Source *Thumbnail `json:"source,omitempty"`
}

// Version is one version of a file (Graph's driveItemVersion).
type Version struct {
	ID                   string             `json:"id"`
	Size                 int64              `json:"size,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`

	item *Item
}

// Role is a permission's role.
type Role string

// Roles.
const (
	RoleRead  Role = "read"
	RoleWrite Role = "write"
	RoleOwner Role = "owner"
)

// LinkType is the kind of a sharing link.
type LinkType string

// Link types.
const (
	LinkView  LinkType = "view"
	LinkEdit  LinkType = "edit"
	LinkEmbed LinkType = "embed" // OneDrive personal only
)

// LinkScope is who a sharing link works for.
type LinkScope string

// Link scopes.
const (
	ScopeAnonymous    LinkScope = "anonymous"
	ScopeOrganization LinkScope = "organization"
	ScopeUsers        LinkScope = "users"
)

// SharingLink is the link of a link permission.
type SharingLink struct {
	Type             LinkType        `json:"type,omitempty"`
	Scope            LinkScope       `json:"scope,omitempty"`
	WebURL           string          `json:"webUrl,omitempty"`
	WebHTML          string          `json:"webHtml,omitempty"`
	PreventsDownload bool            `json:"preventsDownload,omitempty"`
	Application      *graph.Identity `json:"application,omitempty"`
}

// SharingInvitation is the invitation of an invitation permission.
type SharingInvitation struct {
	Email          string             `json:"email,omitempty"`
	SignInRequired bool               `json:"signInRequired,omitempty"`
	InvitedBy      *graph.IdentitySet `json:"invitedBy,omitempty"`
}

// Permission is a sharing permission on an item: a link, an invitation or a direct grant.
type Permission struct {
	ID                    string              `json:"id,omitempty"`
	Roles                 []Role              `json:"roles,omitempty"`
	Link                  *SharingLink        `json:"link,omitempty"`
	Invitation            *SharingInvitation  `json:"invitation,omitempty"`
	GrantedTo             *graph.IdentitySet  `json:"grantedTo,omitempty"`
	GrantedToV2           *graph.IdentitySet  `json:"grantedToV2,omitempty"`
	GrantedToIdentities   []graph.IdentitySet `json:"grantedToIdentities,omitempty"`
	GrantedToIdentitiesV2 []graph.IdentitySet `json:"grantedToIdentitiesV2,omitempty"`
	InheritedFrom         *ItemReference      `json:"inheritedFrom,omitempty"`
	ShareID               string              `json:"shareId,omitempty"`
	HasPassword           bool                `json:"hasPassword,omitempty"`
	ExpirationDateTime    time.Time           `json:"expirationDateTime,omitzero"`

	item *Item
}

// Kind tells a permission's kind as python-o365's permission_type did: "link",
// "invitation" or "owner" (any other direct grant).
func (p *Permission) Kind() string {
	switch {
	case p.Link != nil:
		return "link"
	case p.Invitation != nil:
		return "invitation"
	}
	return "owner"
}
