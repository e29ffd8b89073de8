package emulator

import (
	"fmt"
	"strings"
)

// Functions the other areas (the workbook engine, SharePoint document libraries,
// seeds) use to reach the drive store. The drive area owns this file.

// driveFile returns a file's name, content and eTag; a missing drive or item is
// a 404 itemNotFound. itemID may also be a path reference of a route
// ("root:/Budget.xlsx:" is routed as an encoded reference). The content is
// the stored slice: do not modify it.
func (s *Server) driveFile(driveID, itemID string) (name string, content []byte, etag string, gerr *graphError) {
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	it := s.lockedFile(driveID, itemID)
	if it == nil {
		return "", nil, "", errDriveItemNotFound()
	}
	return it.name, it.content, it.etag(), nil
}

// lockedFile finds a file by drive and item id or path reference (under
// d.mu); nil when it does not exist or is a folder.
func (s *Server) lockedFile(driveID, itemID string) *driveItem {
	s.drive.init()
	dr := s.drive.drives[driveID]
	if dr == nil {
		return nil
	}
	var it *driveItem
	if base, rel, ok := decodeItemRef(itemID); ok {
		start := dr.root
		if !strings.EqualFold(base, "root") {
			start = s.drive.items[base]
		}
		if start != nil && start.drive == dr {
			it, _ = resolvePath(start, rel)
		}
	} else if x := s.drive.items[itemID]; x != nil && x.drive == dr {
		it = x
	}
	if it == nil || it.folder {
		return nil
	}
	return it
}

// writeDriveFile replaces a file's content as a new version (new eTag and cTag,
// size, hashes, lastModifiedDateTime).
func (s *Server) writeDriveFile(driveID, itemID string, content []byte) *graphError {
	info := analyze(content)
	s.drive.mu.Lock()
	it := s.lockedFile(driveID, itemID)
	if it == nil {
		s.drive.mu.Unlock()
		return errDriveItemNotFound()
	}
	s.setContent(it, content, it.modifiedBy, s.now(), it.mimeType, info)
	id := it.id
	s.drive.mu.Unlock()
	s.publishItems(driveID, "updated", id)
	return nil
}

// seedDriveFile creates (or replaces) a file at path ("Documents/Budget.xlsx") in
// the default drive of an owner ("user", "group" or "site" and its id), creating
// folders as needed, and returns the drive id and item id.
func (s *Server) seedDriveFile(ownerKind, ownerID, path string, content []byte) (driveID, itemID string, err error) {
	ds := s.ownerDrives(ownerKind, ownerID)
	if len(ds) == 0 {
		return "", "", fmt.Errorf("emulator: no %s %q for a drive", ownerKind, ownerID)
	}
	dr := ds[0]
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for _, p := range parts {
		if invalidName(p) {
			return "", "", fmt.Errorf("emulator: invalid drive path %q", path)
		}
	}
	info := analyze(content)
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	now := s.now()
	by := dr.owner
	cur := dr.root
	for _, folder := range parts[:len(parts)-1] {
		next, ok := cur.children[lower(folder)]
		if !ok {
			next = s.newChild(cur, folder, true, by, now)
		} else if !next.folder {
			return "", "", fmt.Errorf("emulator: %q is a file", folder)
		}
		cur = next
	}
	name := parts[len(parts)-1]
	it, ok := cur.children[lower(name)]
	if ok && it.folder {
		return "", "", fmt.Errorf("emulator: %q is a folder", path)
	}
	if !ok {
		it = s.newChild(cur, name, false, by, now)
	}
	s.setContent(it, content, by, now, "", info)
	return dr.id, it.id, nil
}

// ensureDrive returns the id of an owner's default document library, creating
// it with the given name ("OneDrive", "Documents") when it does not exist yet.
// It returns "" for an unknown user.
func (s *Server) ensureDrive(ownerKind, ownerID, name string) string {
	if ownerKind == "site" {
		if cid, ok := s.siteCanonicalID(ownerID); ok {
			ownerID = cid
		}
	}
	s.drive.mu.Lock()
	s.drive.init()
	if ds := s.drive.owners[ownerKey(ownerKind, ownerID)]; len(ds) > 0 {
		s.drive.mu.Unlock()
		return ds[0].id
	}
	s.drive.mu.Unlock()
	var owner driveIdentity
	switch ownerKind {
	case "user":
		d := s.userDrive(ownerID)
		if d == nil {
			return ""
		}
		return d.id
	case "group":
		owner = driveIdentity{kind: "group", id: ownerID, name: ownerID}
		if s.dir != nil && s.dir.groups != nil {
			if e, ok := s.dir.groups.get(lower(ownerID)); ok && str(e.doc["displayName"]) != "" {
				owner.name = str(e.doc["displayName"])
			}
		}
	case "site":
		owner = s.siteDriveOwner(ownerID) // sites_path.go
	default:
		owner = driveIdentity{kind: "user", name: "System Account"}
	}
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	if ds := s.drive.owners[ownerKey(ownerKind, ownerID)]; len(ds) > 0 {
		return ds[0].id
	}
	return s.newDrive(ownerKind, ownerID, name, owner, s.now()).id
}
