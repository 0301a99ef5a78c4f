-- The account key's signature over each device's binding (docs/relay-protocol.md, "Signed strings"),
-- as the device sent it at register, so that lookup and fetchBundles can hand it to other clients:
-- a relay cannot attach a device to an account without the account key. Devices registered
-- before this migration have none (NULL); they are left out of lookup and bundles until they
-- register again with the same keys, which stores it.
ALTER TABLE devices ADD COLUMN device_binding BLOB;
