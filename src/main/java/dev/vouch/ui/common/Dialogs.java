package dev.vouch.ui.common;

import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The system dialogs the app opens, behind an interface so tests choose files without a screen. */
public interface Dialogs {
    /** Asks for an image file (a photo or screenshot of a QR code). */
    Optional<Path> chooseImage(Window owner);

    Dialogs SYSTEM = owner -> {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose a picture of their QR code");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg", "*.gif", "*.bmp"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        return Optional.ofNullable(chooser.showOpenDialog(owner)).map(java.io.File::toPath);
    };
}
