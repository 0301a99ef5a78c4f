-- Each account's newest signed device list (docs/devices.md), as the account published it: the
-- relay checked its signature under account_key, that its version is higher than the one it
-- replaces, and that every device it lists is registered with the key it lists. The transparency
-- log commits to it from then on. NULL for an account that has not published one yet.
ALTER TABLE accounts ADD COLUMN device_list BLOB;
ALTER TABLE accounts ADD COLUMN device_list_version INTEGER NOT NULL DEFAULT 0;
