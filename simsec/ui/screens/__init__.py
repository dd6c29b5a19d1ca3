"""The screens of the trainee's TUI: home, workspace (the shell), module screens, debrief."""
