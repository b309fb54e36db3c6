package io.pushgate.webapi.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UploadStore} backend promises: each backend's test extends this and gives two stores on the
 * same backing (as two web-api instances would have).
 */
abstract class UploadStoreContract {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};

    /** A store of the backend under test. */
    abstract UploadStore store();

    /** Another store on the same backing, as another web-api instance would open it. */
    abstract UploadStore sameBackingElsewhere();

    @Test
    void aStoredImageIsServedWithItsTypeByEveryStoreOnTheSameBacking() throws IOException {
        UploadName name = store().store(PNG, ImageType.PNG);
        assertTrue(name.url().matches("/uploads/[0-9a-f]{32}\\.png"), name.url());
        for (UploadStore store : new UploadStore[] {store(), sameBackingElsewhere()}) {
            UploadStore.Stored stored = store.open(name).orElseThrow();
            try (InputStream in = stored.content()) {
                assertArrayEquals(PNG, in.readAllBytes());
            }
            assertEquals(ImageType.PNG, stored.type());
            assertEquals(PNG.length, stored.size());
            assertTrue(store.contains(name));
            assertTrue(store.holds(name.url()));
        }
    }

    @Test
    void namesNeverStoredAreNotHeld() throws IOException {
        UploadName stored = store().store(PNG, ImageType.PNG);
        UploadName other = new UploadName("0".repeat(32), ImageType.PNG);
        UploadName otherType = new UploadName(stored.id(), ImageType.GIF);
        assertFalse(store().contains(other));
        assertFalse(store().contains(otherType), "the extension is part of the name");
        assertTrue(store().open(other).isEmpty());
        assertFalse(store().holds(other.url()));
        assertFalse(store().holds("https://elsewhere.example/x.png"));
        assertFalse(store().holds("/uploads/../" + stored.fileName()));
        assertFalse(store().holds(null));
    }

    @Test
    void everyImageGetsANameOfItsOwn() throws IOException {
        assertFalse(store().store(PNG, ImageType.PNG).equals(store().store(PNG, ImageType.PNG)));
    }
}
