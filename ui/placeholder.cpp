int syncdesk_ui_placeholder = 0;
