package dev.vouch.store.dao;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.store.IntegrityException;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.FieldCipher;
import dev.vouch.store.model.Account;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The profile's own account, sealed in one row: handle, device id and private identity keys. */
public final class AccountDao {
    private static final int FORMAT = 1;
    private final StoreContext context;

    public AccountDao(StoreContext context) {
        this.context = context;
    }

    public void save(Account account) throws StoreException {
        FieldCipher.Column column = context.column("account", "secrets");
        byte[] plain = new ByteWriter(256).u8(FORMAT).bytes(account.handle().getBytes(StandardCharsets.UTF_8))
                .u32(account.deviceId()).bytes(account.accountIdentity().serializePrivate())
                .bytes(account.deviceIdentity().serializePrivate()).toByteArray();
        context.database().transaction(connection -> {
            PreparedStatement st = context.database().statement("INSERT OR REPLACE INTO account (id, secrets) VALUES (1, ?)");
            st.setBytes(1, column.seal(1, plain));
            st.executeUpdate();
            return null;
        });
    }

    public Optional<Account> load() throws StoreException {
        FieldCipher.Column column = context.column("account", "secrets");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT secrets FROM account WHERE id = 1");
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ByteReader r = new ByteReader(column.open(1, rs.getBytes(1)), "account");
                if (r.u8() != FORMAT) {
                    throw new IntegrityException("account", "secrets", 1);
                }
                String handle = new String(r.bytes(256), StandardCharsets.UTF_8);
                int deviceId = r.u32();
                AccountIdentity accountIdentity = AccountIdentity.decodePrivate(r.bytes(1024));
                DeviceIdentity deviceIdentity = DeviceIdentity.decodePrivate(r.bytes(1024));
                r.end();
                return Optional.of(new Account(handle, deviceId, accountIdentity, deviceIdentity));
            } catch (MalformedDataException e) {
                throw new IntegrityException("account", "secrets", 1);
            }
        });
    }
}
