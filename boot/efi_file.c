// SPDX-License-Identifier: MIT
/* Reading files from the ESP through the Simple File System protocol. */
#include "boot/efi.h"
#include "lib/string.h"

#define EFI_PATH_MAX 256

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;

static EFI_STATUS to_efi_path(const char *path, CHAR16 *out, size_t max)
{
	size_t i = 0;

	if (*path != '/' && *path != '\\')
		out[i++] = L'\\';
	for (; *path; path++) {
		if (i + 1 >= max)
			return EFI_INVALID_PARAMETER;
		out[i++] = *path == '/' ? L'\\' : (CHAR16)(u8)*path;
	}
	out[i] = 0;
	return EFI_SUCCESS;
}

static EFI_STATUS open_root(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
	EFI_LOADED_IMAGE *li;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS st;

	st = efi_bs->HandleProtocol(image, &loaded_image_guid, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	st = efi_bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(st))
		return st;
	return fs->OpenVolume(fs, root);
}

static EFI_STATUS file_size(EFI_FILE_HANDLE f, u64 *size)
{
	u8 buf[sizeof(EFI_FILE_INFO) + 2 * EFI_PATH_MAX];
	UINTN len = sizeof(buf);
	EFI_STATUS st = f->GetInfo(f, &file_info_guid, &len, buf);

	if (!EFI_ERROR(st))
		*size = ((EFI_FILE_INFO *)buf)->FileSize;
	return st;
}

EFI_STATUS efi_read_file(EFI_HANDLE image, const char *path, void **data,
			 u64 *size)
{
	CHAR16 wpath[EFI_PATH_MAX];
	EFI_FILE_HANDLE root = NULL, f = NULL;
	EFI_PHYSICAL_ADDRESS pa = 0;
	UINTN len;
	EFI_STATUS st;

	st = to_efi_path(path, wpath, ARRAY_SIZE(wpath));
	if (EFI_ERROR(st))
		return st;
	st = open_root(image, &root);
	if (EFI_ERROR(st))
		return st;
	st = root->Open(root, &f, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		goto out;
	st = file_size(f, size);
	if (EFI_ERROR(st))
		goto out;
	st = efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData,
				   EFI_SIZE_TO_PAGES(*size + 1), &pa);
	if (EFI_ERROR(st))
		goto out;
	len = *size;
	st = f->Read(f, &len, (void *)pa);
	if (!EFI_ERROR(st) && len != *size)
		st = EFI_VOLUME_CORRUPTED; /* short read: never pass a partial file */
	if (EFI_ERROR(st)) {
		efi_bs->FreePages(pa, EFI_SIZE_TO_PAGES(*size + 1));
		goto out;
	}
	((u8 *)pa)[*size] = 0; /* text files may then be used as strings */
	*data = (void *)pa;
out:
	if (f)
		f->Close(f);
	root->Close(root);
	return st;
}
